"""Built-in sieves (work in progress)."""
frame = object()
adjacent_cue = object()
continuation = object()
