import za.co.absa.cobrix.cobol.parser.encoding.codepage.CodePage;
import za.co.absa.cobrix.cobol.parser.encoding.codepage.CodePage$;
/*
 * Prints Cobrix's decoding of every byte 0x00-0xFF for each code page named on the command line:
 * "<name> <code unit of byte 0> ... <code unit of byte 255>" (-1 for no character).
 */
public class CobrixCodePages {
  public static void main(String[] a) {
    for (String name : a) {
      CodePage cp = CodePage$.MODULE$.getCodePageByName(name);
      StringBuilder sb = new StringBuilder(name);
      for (int b = 0; b < 256; b++) { String s = cp.convert(new byte[] {(byte) b}); sb.append(' ').append(s.isEmpty() ? -1 : (int) s.charAt(0)); }
      System.out.println(sb);
    }
  }
}
