import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import java.io.BufferedReader;
import java.io.InputStreamReader;

/** Reads one lag (long ms) per line from stdin into Debezium's sketch (LongDDSketchStatistics: unboundedDense(0.01)); prints P50 P95 P99. */
public class LagSketch {
    public static void main(String[] args) throws Exception {
        DDSketch sketch = DDSketches.unboundedDense(0.01);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null;) {
            if (!line.isEmpty()) sketch.accept((double) Long.parseLong(line.trim()));
        }
        System.out.println(sketch.getValueAtQuantile(0.5) + " " + sketch.getValueAtQuantile(0.95) + " " + sketch.getValueAtQuantile(0.99));
    }
}
