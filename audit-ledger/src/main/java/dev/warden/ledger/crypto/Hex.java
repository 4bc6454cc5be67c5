package dev.warden.ledger.crypto;

/** Lower-case hex, the form every hash and digest takes in the ledger. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** Decodes lower-case hex; anything else (upper case included, so one value has one spelling) is rejected. */
  public static byte[] decode(String hex) {
    if ((hex.length() & 1) != 0) {
      throw new IllegalArgumentException("hex of odd length " + hex.length());
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((digit(hex, 2 * i) << 4) | digit(hex, 2 * i + 1));
    }
    return out;
  }

  /** True if {@code s} is exactly {@code length} lower-case hex digits. */
  public static boolean isHex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static int digit(String s, int i) {
    char c = s.charAt(i);
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    throw new IllegalArgumentException("'" + c + "' at index " + i + " (expected: lower-case hex digit)");
  }
}
