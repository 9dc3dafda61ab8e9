package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ParamsCommandTest {
    static String qwen() throws URISyntaxException {
        return Path.of(ParamsCommandTest.class.getResource("/model-configs/qwen2.5-7b.json").toURI()).toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--method oft --block-size 16 | 8494080",
            "--method oft --block-size 32 | 17554432",
            "--method oft --block-size 64 | 35675136",
            "--method oft --block-size 128 | 71916544",
            "--method lora --rank 8 | 20185088",
            "--method dora --rank 8 | 21575680",
            "--method adalora --rank 8 --init-r 12 | 30279984",
            "--method miss --rank 8 | 11124736",
            "--method vera --rank 256 | 1440768",
            "--method ia3 | 1820672",
            "--method boft --block-size 32 | 37632000",
            "--method boft --block-size 8 --butterfly-factors 3 | 28571648",
            "--method boft --block-size 8 | 10450944"})
    void printsReferenceTotalsAsJson(String options, long expected) throws Exception {
        String[] opts = options.trim().split(" ", 0);
        String[] args = new String[opts.length + 4];
        args[0] = "params";
        args[1] = "--model-config";
        args[2] = qwen();
        System.arraycopy(opts, 0, args, 3, opts.length);
        args[args.length - 1] = "--json";
        CliRunner r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"total\" : " + expected), r.out());
    }

    @Test
    void textTableListsModulesAndTotal() throws Exception {
        CliRunner r = CliRunner.run("params", "--model-config", qwen(), "--method", "lora", "--rank", "8");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("q_proj"), r.out());
        assertTrue(r.out().contains("20,185,088"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "q_proj,v_proj | 2523136",
            "'q_proj, v_proj' | 2523136",
            "'.*\\.(q|v)_proj' | 2523136",
            "all-linear | 20185088",
            "self_attn.q_proj | 1605632"})
    void targetsTakeHfPeftForms(String targets, long expected) throws Exception {
        CliRunner r = CliRunner.run("params", "--model-config", qwen(), "--method", "lora", "--rank", "8",
                "--targets", targets, "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"total\" : " + expected), r.out());
    }

    @Test
    void matchBudgetPicksOftBlock32() throws Exception {
        CliRunner r = CliRunner.run("params", "--model-config", qwen(), "--method", "oft", "--match-budget", "17000000", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"size\" : 32"), r.out());
    }

    @Test
    void unknownMethodIsUsageError() throws Exception {
        CliRunner r = CliRunner.run("params", "--model-config", qwen(), "--method", "qlora");
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("known:"), r.err());
    }

    @Test
    void boftButterflyThatDoesNotDivideIsAClearFailure() throws Exception {
        // 16 x 2^6 = 1024 does not divide 3584
        CliRunner r = CliRunner.run("params", "--model-config", qwen(), "--method", "boft", "--block-size", "16", "--butterfly-factors", "7");
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().contains("3584") && r.err().contains("1024"), r.err());
        r = CliRunner.run("params", "--model-config", qwen(), "--method", "oft", "--butterfly-factors", "2");
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().contains("boft only"), r.err());
    }

    @Test
    void methodOptionsComeFromTheRegisteredMethods() throws Exception {
        CliRunner help = CliRunner.run("params", "--help");
        assertEquals(0, help.exitCode(), help.err());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("PEFT method: full, lora, dora, pissa, milora, adalora, keeplora, miss, vera, ia3, oft, boft,"
                + " hra."), help.out());
        for (String flag : new String[] {"--rank=R", "--block-size=B", "--init-r=R", "--alpha=A", "--cayley=VARIANT",
                "--neumann-terms=N", "--butterfly-factors=M", "--tinit=STEPS", "--tfinal=STEPS", "--delta-t=STEPS",
                "--orth-reg-weight=W"}) {
            assertTrue(help.out().contains(flag), flag + " in " + help.out());
        }
        CliRunner bad = CliRunner.run("params", "--model-config", qwen(), "--method", "oft", "--cayley", "bogus");
        assertEquals(Main.EXIT_USAGE, bad.exitCode());
        assertTrue(bad.err().contains("--cayley must be neumann or exact, got bogus"), bad.err());
        CliRunner exact = CliRunner.run("params", "--model-config", qwen(), "--method", "oft", "--cayley", "EXACT", "--json");
        assertEquals(0, exact.exitCode(), exact.err());
        CliRunner rank = CliRunner.run("params", "--model-config", qwen(), "--method", "oft", "--rank", "8");
        assertEquals(Main.EXIT_FAILURE, rank.exitCode());
        assertTrue(rank.err().contains("--rank does not apply to oft (use --block-size)"), rank.err());
    }

    @Test
    void missingConfigIsFailure() {
        CliRunner r = CliRunner.run("params", "--model-config", "/nonexistent/config.json", "--method", "lora");
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().contains("cannot read model config"), r.err());
    }
}
