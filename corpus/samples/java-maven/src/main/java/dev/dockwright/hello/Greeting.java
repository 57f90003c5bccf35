package dev.dockwright.hello;

/** The text the service answers with. */
final class Greeting {
    private Greeting() {
    }

    static String text(String user) {
        return "java-maven up, user=" + user + "\n";
    }
}
