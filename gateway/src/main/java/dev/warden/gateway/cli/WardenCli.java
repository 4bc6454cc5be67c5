package dev.warden.gateway.cli;

public final class WardenCli {
    public static void main(String[] args) {
        System.out.println("warden");
    }
}
