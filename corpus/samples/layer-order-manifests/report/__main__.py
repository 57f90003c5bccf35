print("report module ran from", __file__.rsplit("/", 2)[0])
