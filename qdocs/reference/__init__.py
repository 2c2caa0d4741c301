"""Documentation generated from the models: JSON Schemas (`schemas`) and docs/content.md
(`markdown`, with the scoring methods' formulas and worked examples in `methods`)."""
