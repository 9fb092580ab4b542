"""The explorer's graph without Qt: the Tensor-Function graph of a frame and its layout."""
