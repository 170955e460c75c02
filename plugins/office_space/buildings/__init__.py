"""Buildings, floors and rooms (Art. 22): title registration, allocation to organisations and of office
rooms to persons, the per-person standard."""
