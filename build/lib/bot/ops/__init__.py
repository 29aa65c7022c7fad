"""Running the product's processes: which programs make up a topology, and
supervisord, which starts them and restarts any that stops."""
