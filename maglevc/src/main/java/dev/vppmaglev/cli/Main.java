package dev.vppmaglev.cli;

/** Placeholder entry point; replaced as the module lands. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("maglevc: not built yet");
    }
}
