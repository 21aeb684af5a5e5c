print("nnbench: not built yet")
