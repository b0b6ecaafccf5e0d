package dev.vppmaglev.vpp.fake;

/** Placeholder entry point; replaced as the module lands. */
public final class VppFakeMain {
    private VppFakeMain() {}

    public static void main(String[] args) {
        System.out.println("vpp-fake: not built yet");
    }
}
