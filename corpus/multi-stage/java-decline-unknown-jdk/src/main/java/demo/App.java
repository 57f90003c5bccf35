package demo;

public final class App {
    public static void main(String[] args) {
        System.out.println("hello from " + App.class.getSimpleName());
    }
}
