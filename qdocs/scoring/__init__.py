"""Score regions: validated rules and assessments → exact results."""
