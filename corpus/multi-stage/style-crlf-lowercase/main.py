print("hi")
