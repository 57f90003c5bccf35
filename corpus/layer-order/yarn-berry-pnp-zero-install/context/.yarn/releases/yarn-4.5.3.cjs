// yarn 4.5.3 (stand-in text)
