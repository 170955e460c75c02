"""Land (土地, Art. 20-21): the reference plugin every other module copies."""
