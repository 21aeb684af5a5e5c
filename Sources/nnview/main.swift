print("nnview: not built yet")
