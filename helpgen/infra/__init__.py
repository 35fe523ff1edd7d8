"""What every stage leans on: the build cache, the build stamp, work on every core, progress."""
