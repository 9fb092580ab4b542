"""Autograd Explorer: the desktop app and its headless parts."""
