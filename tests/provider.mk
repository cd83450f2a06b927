# tests for src/llm: provider, cache, rate limits (filled below)
