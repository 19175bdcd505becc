"""Text engine: decoding, segmentation, widths, line breaking, shaping, bidi, layout.

Nothing here imports Textual or Rich, so the engine is tested and benchmarked alone.
"""
