rootProject.name = "svc"
