"""The shared entity catalog: jurisdictions, organisations, people, standards."""
