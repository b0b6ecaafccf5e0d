package dev.vppmaglev.daemon;

/** Placeholder entry point; replaced as the module lands. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("maglevd: not built yet");
    }
}
