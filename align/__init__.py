"""align: check that a translation faithfully renders its source."""
