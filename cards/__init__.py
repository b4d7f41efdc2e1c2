"""Pure card builders: typed data in, a JSON-ready Adaptive Card dict out."""
