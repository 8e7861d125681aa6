"""Workshop notebooks: demo data for exercises, self-checks and the notebook generator."""
