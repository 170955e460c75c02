"""Asset classes (GB/T 14885), the configuration standards they key, asset cards and their history."""
