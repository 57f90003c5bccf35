// yarn 3.6.4 (stand-in text)
