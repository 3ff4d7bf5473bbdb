"""The pair and CI layer: pair directories and their manifests (`pairs`), `align check` (`check`),
reviewed baselines (`baseline`) and what CI systems read (`formats`: JUnit, SARIF, GitHub)."""
