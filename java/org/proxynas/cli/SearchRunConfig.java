package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.run.JsonFiles;
import org.proxynas.search.SearchConfig;

import java.nio.file.Path;

/**
 * A search run's config.json and the part of it that is the run's identity: the search configuration (less its
 * checkpoint frequency), the dataset and the data folder. Threads, backend and checkpoint frequency may change
 * on a resume without changing the run.
 */
final class SearchRunConfig {
    private SearchRunConfig() {}

    /** The identity part of a new run's configuration. */
    static ObjectNode identity(SearchConfig cfg, String dataset, Path dataDir) {
        ObjectNode c = JsonFiles.mapper().createObjectNode();
        c.put("command", "search");
        ObjectNode search = JsonFiles.mapper().valueToTree(cfg);
        search.remove("checkpointEvery");
        c.set("search", search);
        c.put("dataset", dataset);
        c.put("data", dataDir == null ? null : dataDir.toAbsolutePath().toString());
        return c;
    }

    /** The identity part of a saved config.json, built the same way as {@link #identity(SearchConfig, String, Path)}. */
    static ObjectNode identity(ObjectNode saved) {
        ObjectNode c = JsonFiles.mapper().createObjectNode();
        c.put("command", "search");
        JsonNode s = saved.get("search");
        ObjectNode search = s instanceof ObjectNode o ? o.deepCopy() : JsonFiles.mapper().createObjectNode();
        search.remove("checkpointEvery");
        c.set("search", search);
        c.set("dataset", saved.get("dataset") == null ? c.nullNode() : saved.get("dataset"));
        c.set("data", saved.get("data") == null ? c.nullNode() : saved.get("data"));
        return c;
    }
}
