"""``torch.nn.functional``: what a small MLP lesson needs."""
