/* trace.c - every intermediate value of the last training step, for the step-by-step panels.
 * Nothing here computes: the views point into the buffers that the training step itself used
 * (net.c, optim.c), so a panel shows exactly the numbers the MNIST training path produces.
 * Tracing adds copies of the parameters before the update and Adam's m_hat, v_hat and the step. */
#include "internal.h"
#include <stdlib.h>
#include <string.h>

int32_t bp_net_set_trace(bp_net *net, int32_t on)
{
    if (!net) return BP_EINVAL;
    if (on && !net->tblock) {
        net->tblock = calloc((size_t)net->nparams * 4, sizeof(bp_real));
        if (!net->tblock) return net_fail(net, BP_ENOMEM, "", 0, NOVAL, "out of memory for the trace");
        net->prev = net->tblock;
        net->mhat = net->tblock + net->nparams;
        net->vhat = net->tblock + 2 * (size_t)net->nparams;
        net->stepv = net->tblock + 3 * (size_t)net->nparams;
    }
    net->tracing = on != 0;
    return BP_OK;
}

/* Resolves a view to its buffer and shape. */
static bp_real *resolve(bp_net *net, int what, int layer, int *rows, int *cols)
{
    *rows = *cols = 0;
    if (!net) return NULL;
    int B = net->rows;
    if (what == BP_V_INPUT) { *rows = B; *cols = net->L[0].in; return net->stage ? net->X : NULL; }
    if (what == BP_V_DINPUT) { *rows = B; *cols = net->L[0].in; return net->tracing && net->stage >= 2 ? net->dX : NULL; }
    if (layer < 0 || layer >= net->nl) return NULL;
    bp_layer *L = &net->L[layer];
    int top = layer == net->nl - 1;
    bp_real *blk = NULL;
    int isb = 0;
    switch (what) {
    case BP_V_Z: *rows = B; *cols = L->out; return net->stage ? net->Z[layer] : NULL;
    case BP_V_A: *rows = B; *cols = L->out; return net->stage ? net->A[layer] : NULL;
    case BP_V_DELTA: *rows = B; *cols = L->out; return net->stage >= 2 ? net->D[layer] : NULL;
    case BP_V_LOSS_ROWS: *rows = B; *cols = 1; return top && net->stage >= 2 ? net->lrows : NULL;
    case BP_V_TARGET: *rows = B; *cols = L->out; return top && net->stage >= 2 && net->have_T ? net->T : NULL;
    case BP_V_ZHAT: *rows = B; *cols = L->out; return net->stage && L->bn ? net->ZH[layer] : NULL;
    case BP_V_H: *rows = B; *cols = L->out; return net->stage && L->bn ? net->H[layer] : NULL;
    case BP_V_MASK: *rows = net->stage ? B : net->cap; *cols = L->out; return L->dropout > 0.0f ? net->M[layer] : NULL;
    case BP_V_GAMMA: case BP_V_BETA: case BP_V_DGAMMA: case BP_V_DBETA:
        if (!L->bn) return NULL;
        *rows = 1; *cols = L->out;
        return (what == BP_V_GAMMA || what == BP_V_DGAMMA ? L->g_off : L->be_off) +
               (what == BP_V_GAMMA || what == BP_V_BETA ? net->params : net->grads);
    case BP_V_RUN_MEAN: case BP_V_RUN_VAR:
        if (!L->bn) return NULL;
        *rows = 1; *cols = L->out;
        return net->stats + L->rm_off + (what == BP_V_RUN_VAR ? L->out : 0);
    case BP_V_W: blk = net->params; break;
    case BP_V_B: blk = net->params; isb = 1; break;
    case BP_V_DW: blk = net->grads; break;
    case BP_V_DB: blk = net->grads; isb = 1; break;
    case BP_V_W_PREV: blk = net->tracing ? net->prev : NULL; break;
    case BP_V_B_PREV: blk = net->tracing ? net->prev : NULL; isb = 1; break;
    case BP_V_M_W: blk = net->m; break;
    case BP_V_M_B: blk = net->m; isb = 1; break;
    case BP_V_V_W: blk = net->v; break;
    case BP_V_V_B: blk = net->v; isb = 1; break;
    case BP_V_VMAX_W: blk = net->vmax; break;
    case BP_V_VMAX_B: blk = net->vmax; isb = 1; break;
    case BP_V_MHAT_W: blk = net->tracing ? net->mhat : NULL; break;
    case BP_V_MHAT_B: blk = net->tracing ? net->mhat : NULL; isb = 1; break;
    case BP_V_VHAT_W: blk = net->tracing ? net->vhat : NULL; break;
    case BP_V_VHAT_B: blk = net->tracing ? net->vhat : NULL; isb = 1; break;
    case BP_V_STEP_W: blk = net->tracing ? net->stepv : NULL; break;
    case BP_V_STEP_B: blk = net->tracing ? net->stepv : NULL; isb = 1; break;
    default: return NULL;
    }
    if (!blk) return NULL;
    if (isb) {
        if (!L->has_bias) return NULL;
        *rows = 1; *cols = L->out;
        return blk + L->b_off;
    }
    *rows = L->out; *cols = L->in;
    return blk + L->w_off;
}

bp_real *bp_view(bp_net *net, int32_t what, int32_t layer, int32_t *rows, int32_t *cols)
{
    int r, c;
    bp_real *p = resolve(net, what, layer, &r, &c);
    if (rows) *rows = p ? r : 0;
    if (cols) *cols = p ? c : 0;
    return p;
}
int32_t bp_view_rows(bp_net *net, int32_t what, int32_t layer) { int32_t r, c; return bp_view(net, what, layer, &r, &c) ? r : 0; }
int32_t bp_view_cols(bp_net *net, int32_t what, int32_t layer) { int32_t r, c; return bp_view(net, what, layer, &r, &c) ? c : 0; }
bp_real *bp_view_ptr(bp_net *net, int32_t what, int32_t layer) { int32_t r, c; return bp_view(net, what, layer, &r, &c); }
