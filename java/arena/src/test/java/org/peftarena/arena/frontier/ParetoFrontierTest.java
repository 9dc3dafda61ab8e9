package org.peftarena.arena.frontier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParetoFrontierTest {
    /** Points as "id:target:general;..." and the expected frontier ids in increasing Target. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "one point              | a:1:1                          | a",
            "dominated on both      | a:1:1;b:2:2                    | b",
            "trade-off keeps both   | a:1:3;b:3:1                    | a,b",
            "tie on one axis        | a:2:1;b:2:3                    | b",
            "equal points both stay | a:2:2;b:2:2                    | a,b",
            "published Qwen points  | full:50.63:34.22;oft:46.93:44.37;lora:42.47:39.22;pissa:44.53:24.78 | oft,full",
            "middle dominated       | a:1:5;b:2:3;c:3:1;d:1.5:2.5   | a,b,c"})
    void frontierIsTheNonDominatedSet(String name, String points, String expected) {
        List<ScorePoint> ps = new ArrayList<>();
        for (String p : points.split(";", 0)) {
            String[] f = p.split(":", 0);
            ps.add(new ScorePoint(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2])));
        }
        assertEquals(List.of(expected.split(",", 0)), ParetoFrontier.of(ps).stream().map(ScorePoint::id).toList());
    }
}
