import settings

print(settings.SECRET)
