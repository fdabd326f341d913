package org.proxynas.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins what each search method finds for one seed on the CPU backend, so a refactor that claims "no behaviour
 * change" is checked: the genotype and the metrics log's final losses must come out exactly as recorded. When a
 * change is meant to alter behaviour, rerun with -Dproxynas.printPins=true and update the table in the same commit,
 * saying why.
 */
class BehaviourPinTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            pvll   | lstm | Genotype(normal=[('max_pool_3x3', 1), ('avg_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 0), ('skip_connect', 2), ('max_pool_3x3', 3), ('sep_conv_5x5', 4), ('sep_conv_5x5', 0)], normal_concat=[2, 3, 4, 5], reduce=[('dil_conv_3x3', 1), ('dil_conv_5x5', 0), ('sep_conv_5x5', 0), ('sep_conv_3x3', 2), ('avg_pool_3x3', 1), ('dil_conv_3x3', 3), ('dil_conv_5x5', 2), ('dil_conv_3x3', 0)], reduce_concat=[2, 3, 4, 5])
            pvll   | gae  | Genotype(normal=[('dil_conv_5x5', 0), ('max_pool_3x3', 1), ('sep_conv_5x5', 2), ('max_pool_3x3', 1), ('dil_conv_3x3', 3), ('max_pool_3x3', 2), ('sep_conv_5x5', 4), ('max_pool_3x3', 0)], normal_concat=[2, 3, 4, 5], reduce=[('dil_conv_5x5', 1), ('max_pool_3x3', 0), ('sep_conv_5x5', 0), ('skip_connect', 1), ('max_pool_3x3', 0), ('dil_conv_3x3', 3), ('sep_conv_3x3', 0), ('skip_connect', 1)], reduce_concat=[2, 3, 4, 5])
            evolve | lstm | Genotype(normal=[('sep_conv_5x5', 0), ('max_pool_3x3', 1), ('dil_conv_5x5', 0), ('max_pool_3x3', 1), ('dil_conv_3x3', 1), ('avg_pool_3x3', 2), ('avg_pool_3x3', 2), ('dil_conv_3x3', 4)], normal_concat=[2, 3, 4, 5], reduce=[('dil_conv_3x3', 0), ('dil_conv_3x3', 1), ('skip_connect', 1), ('sep_conv_3x3', 2), ('avg_pool_3x3', 1), ('dil_conv_3x3', 3), ('dil_conv_5x5', 2), ('sep_conv_5x5', 4)], reduce_concat=[2, 3, 4, 5])
            darts  | lstm | Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1), ('max_pool_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1), ('sep_conv_3x3', 4), ('skip_connect', 1)], normal_concat=[2, 3, 4, 5], reduce=[('sep_conv_5x5', 0), ('skip_connect', 1), ('dil_conv_3x3', 2), ('avg_pool_3x3', 1), ('sep_conv_3x3', 2), ('skip_connect', 0), ('dil_conv_5x5', 1), ('dil_conv_5x5', 4)], reduce_concat=[2, 3, 4, 5])
            random | lstm | Genotype(normal=[('avg_pool_3x3', 1), ('sep_conv_5x5', 0), ('sep_conv_5x5', 0), ('dil_conv_5x5', 1), ('sep_conv_5x5', 2), ('sep_conv_5x5', 0), ('dil_conv_5x5', 2), ('sep_conv_5x5', 3)], normal_concat=[2, 3, 4, 5], reduce=[('dil_conv_5x5', 0), ('dil_conv_3x3', 1), ('dil_conv_5x5', 2), ('sep_conv_3x3', 1), ('skip_connect', 3), ('sep_conv_5x5', 0), ('skip_connect', 4), ('dil_conv_5x5', 2)], reduce_concat=[2, 3, 4, 5])
            """)
    void sameSeedSameGenotype(String method, String regressor, String pinned, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        List<String> args = SearchEndToEndTest.tiny(method, out);
        args.addAll(List.of("--seed", "7", "--regressor", regressor, "--gae-pretrain-archs", "16", "--gae-pretrain-epochs", "1"));
        assertEquals(0, SearchEndToEndTest.run(args));
        String genotype = Files.readString(out.resolve("genotype.txt")).strip();
        if (Boolean.getBoolean("proxynas.printPins")) System.out.println("PIN " + method + " " + regressor + " " + genotype);
        assertEquals(pinned, genotype, method + "/" + regressor + " on seed 7 found another genotype than the pinned one");
    }
}
