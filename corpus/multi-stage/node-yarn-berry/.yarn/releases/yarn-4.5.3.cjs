// the yarn 4.5.3 release (stand-in text: this fixture is not built)
