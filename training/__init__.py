"""Scripts that train the models in extractor/models from the real gold of shared/corpus/dev."""
