"""What trainers work with: candidates' messages the assistant did not handle
well, made safe to read, and the changes trainers make to the training data."""
