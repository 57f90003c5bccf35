import settings

print(f"{settings.APP_NAME}: {settings.GREETING}")
