/*
 * Parses copybooks with Cobrix's own CopybookParser.parseTree (all options at their defaults):
 * the oracle of which copybooks Cobrix accepts. Input: a manifest, one copybook per line:
 *   <id> TAB <copybook path>
 * Output: per copybook, a line "#case <id>" then Cobrix's layout table
 * (Copybook.generateRecordLayoutPositions), or "#error <line> <message>" (line 0 when the error
 * names none).
 */
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import za.co.absa.cobrix.cobol.parser.Copybook;
import za.co.absa.cobrix.cobol.parser.exceptions.SyntaxErrorException;

public class CobrixParse {
  public static void main(String[] args) throws Exception {
    Class<?> companion = Class.forName("za.co.absa.cobrix.cobol.parser.CopybookParser$");
    Object parser = companion.getField("MODULE$").get(null);
    Method parseTree = null;
    for (Method m : companion.getMethods()) {
      if (m.getName().equals("parseTree") && m.getParameterTypes()[0] == String.class) parseTree = m;
    }
    int n = parseTree.getParameterCount();
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      if (line.isEmpty()) continue;
      String[] parts = line.split("\t", -1);
      out.append("#case ").append(parts[0]).append('\n');
      Object[] a = new Object[n];
      a[0] = new String(Files.readAllBytes(Paths.get(parts[1])), StandardCharsets.UTF_8);
      for (int i = 1; i < n; i++) a[i] = companion.getMethod("parseTree$default$" + (i + 1)).invoke(parser);
      try {
        Copybook copybook = (Copybook) parseTree.invoke(parser, a);
        out.append(copybook.generateRecordLayoutPositions()).append('\n');
      } catch (java.lang.reflect.InvocationTargetException e) {
        Throwable t = e.getCause();
        int at = t instanceof SyntaxErrorException ? ((SyntaxErrorException) t).lineNumber() : 0;
        out.append("#error ").append(at).append(' ').append(String.valueOf(t.getMessage()).replace('\n', ' ')).append('\n');
      } catch (Throwable t) {
        out.append("#error 0 ").append(String.valueOf(t.getMessage()).replace('\n', ' ')).append('\n');
      }
    }
    System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
    System.out.flush();
  }
}
