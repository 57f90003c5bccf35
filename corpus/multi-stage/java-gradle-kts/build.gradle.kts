plugins {
    application
}

application {
    mainClass.set("demo.App")
}

tasks.jar {
    manifest { attributes["Main-Class"] = "demo.App" }
}
