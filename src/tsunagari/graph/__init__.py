"""The graph layer: schema from the model, the stores behind one protocol, the build."""
