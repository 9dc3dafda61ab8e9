package org.peftarena.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguageDetectorTest {
    private final LanguageDetector detector = new LanguageDetector();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "en|The Commission has said that it is not in a position to accept the amendments which were tabled by the committee.",
        "fr|La Commission a déclaré qu'elle n'est pas en mesure d'accepter les amendements qui ont été déposés par la commission.",
        "es|La Comisión ha dicho que no está en condiciones de aceptar las enmiendas que fueron presentadas por la comisión.",
        "de|Die Kommission hat gesagt, dass sie nicht in der Lage ist, die Änderungsanträge des Ausschusses anzunehmen, und wir auch nicht.",
        "it|La Commissione ha detto che non è in grado di accettare gli emendamenti presentati dalla commissione per questo anche.",
        "pt|A Comissão disse que não está em condições de aceitar as alterações que foram apresentadas pela comissão para o relatório.",
        "nl|De Commissie heeft gezegd dat zij niet in staat is de amendementen van de commissie te aanvaarden en wij ook niet.",
    })
    void detectsEuroparlLanguages(String language, String text) {
        assertEquals(Optional.of(language), detector.detect(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Η Επιτροπή δήλωσε ότι δεν είναι σε θέση να δεχθεί τις τροπολογίες.",
        "12345 678 90",
        "Commission",
    })
    void undecidedWithoutEnoughEvidence(String text) {
        assertEquals(Optional.empty(), detector.detect(text));
    }
}
