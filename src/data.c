/* data.c - datasets held by the core (handed over once, no copies per epoch) and the mini-batch
 * loop: shuffle with the net's RNG (Fisher-Yates), gather B rows, step, repeat. The last batch of
 * an epoch may be smaller (like PyTorch's DataLoader with drop_last=False). */
#include "internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bp_data *data_create(int32_t n, int32_t dim, int32_t k, int32_t with_labels, int bytes, bp_error *err)
{
    if (n < 1 || dim < 1 || k < 1 || dim > BP_MAX_WIDTH || k > BP_MAX_WIDTH) {
        put_err(err, BP_EINVAL, "dataset", 0, NOVAL, "dataset: %d samples of %d values with %d outputs is not allowed "
                "(samples >= 1, 1..%d values and outputs)", n, dim, k, BP_MAX_WIDTH);
        return NULL;
    }
    if ((double)n * dim > 1.5e9 / sizeof(bp_real) || (!with_labels && (double)n * k > 1.5e9 / sizeof(bp_real))) {
        put_err(err, BP_EINVAL, "dataset", 0, NOVAL, "dataset: %d x %d values (or %d x %d targets) do not fit in memory", n, dim, n, k);
        return NULL;
    }
    bp_data *d = calloc(1, sizeof *d);
    if (!d) { put_err(err, BP_ENOMEM, "", 0, NOVAL, "out of memory"); return NULL; }
    d->n = n; d->dim = dim; d->k = k;
    if (bytes) {
        d->px = calloc((size_t)n * dim, 1);
        for (int v = 0; v < 256; v++) d->lut[v] = (bp_real)v;
    } else d->x = calloc((size_t)n * dim, sizeof(bp_real));
    if (with_labels) d->labels = calloc((size_t)n, sizeof(int32_t));
    else d->targets = calloc((size_t)n * k, sizeof(bp_real));
    if ((!d->x && !d->px) || (!d->labels && !d->targets)) {
        bp_data_free(d);
        put_err(err, BP_ENOMEM, "", 0, NOVAL, "out of memory for a dataset of %d samples", n);
        return NULL;
    }
    return d;
}

bp_data *bp_data_create(int32_t n, int32_t dim, int32_t k, int32_t with_labels, bp_error *err)
{
    return data_create(n, dim, k, with_labels, 0, err);
}

/* Samples stored as bytes (a quarter of the memory: all of MNIST in 55 MB instead of 220 MB) and
 * turned into floats as each batch is gathered: x = lut[byte]. */
bp_data *bp_data_create_u8(int32_t n, int32_t dim, int32_t k, int32_t with_labels, bp_error *err)
{
    return data_create(n, dim, k, with_labels, 1, err);
}

void bp_data_free(bp_data *d)
{
    if (!d) return;
    free(d->x); free(d->px); free(d->labels); free(d->targets); free(d);
}

bp_real *bp_data_x(bp_data *d) { return d ? d->x : NULL; }
uint8_t *bp_data_bytes(bp_data *d) { return d ? d->px : NULL; }
bp_real *bp_data_lut(bp_data *d) { return d ? d->lut : NULL; }

/* Rows idx[0..B) (or start..start+B when idx is NULL) of the samples as floats into X (B x dim). */
static void gather(const bp_data *d, const int32_t *idx, int start, int B, bp_real *X)
{
    int dim = d->dim;
    for (int r = 0; r < B; r++) {
        size_t s = (size_t)(idx ? idx[r] : start + r) * dim;
        bp_real *xr = X + (size_t)r * dim;
        if (d->x) memcpy(xr, d->x + s, (size_t)dim * sizeof(bp_real));
        else {
            const uint8_t *pr = d->px + s;
            for (int j = 0; j < dim; j++) xr[j] = d->lut[pr[j]];
        }
    }
}
int32_t *bp_data_labels(bp_data *d) { return d ? d->labels : NULL; }
bp_real *bp_data_targets(bp_data *d) { return d ? d->targets : NULL; }
int32_t bp_data_count(const bp_data *d) { return d ? d->n : 0; }

/* Rows idx[0..B) (or start..start+B) checked before they are used: labels are classes 0..k-1, float
 * samples and targets finite. The caller can write into the live arrays at any time, so this runs
 * for each batch (a pass over data the batch reads anyway), not once. */
static int check_rows(bp_net *net, const bp_data *d, const int32_t *idx, int start, int B)
{
    for (int r = 0; r < B; r++) {
        int s = idx ? idx[r] : start + r;
        if (d->labels && (d->labels[s] < 0 || d->labels[s] >= d->k))
            return net_fail(net, BP_EINVAL, "labels", s + 1, VAL(d->labels[s]), "dataset: label of sample %d is %d, not a class 0..%d", s + 1, d->labels[s], d->k - 1);
        if (d->targets)
            for (int j = 0; j < d->k; j++)
                if (!isfinite(d->targets[(size_t)s * d->k + j]))
                    return net_fail(net, BP_EINVAL, "target", s + 1, VAL(d->targets[(size_t)s * d->k + j]), "dataset: target %d of sample %d is not a finite number", j + 1, s + 1);
        if (d->x)
            for (int j = 0; j < d->dim; j++)
                if (!isfinite(d->x[(size_t)s * d->dim + j]))
                    return net_fail(net, BP_EINVAL, "input", s + 1, VAL(d->x[(size_t)s * d->dim + j]), "dataset: value %d of sample %d is not a finite number", j + 1, s + 1);
    }
    return BP_OK;
}

static int check_data(bp_net *net, const bp_data *d)
{
    if (!d) return net_fail(net, BP_EINVAL, "dataset", 0, NOVAL, "dataset: none given");
    if (d->px)
        for (int v = 0; v < 256; v++)
            if (!isfinite(d->lut[v]))
                return net_fail(net, BP_EINVAL, "lut", v + 1, VAL(d->lut[v]), "dataset: the pixel table's entry for byte %d is not a finite number", v);
    int in = net->L[0].in, K = net->L[net->nl - 1].out;
    if (d->dim != in)
        return net_fail(net, BP_EINVAL, "dataset", 0, VAL(d->dim), "dataset: samples have %d values but the network's input has %d", d->dim, in);
    if (d->k != K)
        return net_fail(net, BP_EINVAL, "dataset", 0, VAL(d->k), "dataset: %d classes/outputs but the network's output has %d", d->k, K);
    return BP_OK;
}

int32_t bp_epoch_begin(bp_net *net, bp_data *d, int32_t shuffle)
{
    if (!net) return BP_EINVAL;
    int rc = check_data(net, d);
    if (rc) return rc;
    if (d->labels)
        for (int i = 0; i < d->n; i++)
            if (d->labels[i] < 0 || d->labels[i] >= d->k)
                return net_fail(net, BP_EINVAL, "labels", i + 1, VAL(d->labels[i]), "dataset: label of sample %d is %d, not a class 0..%d", i, d->labels[i], d->k - 1);
    if (net->perm_n != d->n) {
        int32_t *p = realloc(net->perm, (size_t)d->n * sizeof(int32_t));
        if (!p) return net_fail(net, BP_ENOMEM, "", 0, NOVAL, "out of memory for the epoch's order");
        net->perm = p;
        net->perm_n = d->n;
    }
    for (int i = 0; i < d->n; i++) net->perm[i] = i;
    if (shuffle)                                                   /* Fisher-Yates with the net's RNG */
        for (int i = d->n - 1; i > 0; i--) {
            int j = (int)rng_below(&net->rng, (uint32_t)i + 1);
            int32_t t = net->perm[i]; net->perm[i] = net->perm[j]; net->perm[j] = t;
        }
    net->cursor = 0;
    return BP_OK;
}

int32_t bp_epoch_remaining(const bp_net *net) { return net && net->perm ? net->perm_n - net->cursor : 0; }

int32_t bp_train_batches(bp_net *net, bp_data *d, int32_t batch, int32_t max_batches, bp_real *losses)
{
    if (!net) return BP_EINVAL;
    int rc = check_data(net, d);
    if (rc) return rc;
    if (!net->perm || net->perm_n != d->n) return net_fail(net, BP_ESTATE, "", 0, NOVAL, "training: call epoch_begin with this dataset first");
    if (batch < 1) return net_fail(net, BP_EINVAL, "batch", 0, VAL(batch), "batch size: %d is not allowed; it must be at least 1", batch);
    if (batch > d->n) return net_fail(net, BP_EINVAL, "batch", 0, VAL(batch), "batch size: %d is larger than the %d training samples", batch, d->n);
    if (max_batches < 0) return net_fail(net, BP_EINVAL, "max_batches", 0, VAL(max_batches), "number of batches: %d is negative", max_batches);
    if ((rc = net_reserve(net, batch))) return rc;
    int K = d->k, done = 0;
    net->have_lab = d->labels != NULL;
    net->have_T = !net->have_lab;
    while (done < max_batches && net->cursor < d->n) {
        int B = d->n - net->cursor < batch ? d->n - net->cursor : batch;
        if (B == 1 && batch > 1 && net_has_bn(net)) { net->cursor += 1; break; }  /* batch norm needs 2 rows: drop a last lone one */
        if ((rc = check_rows(net, d, net->perm + net->cursor, 0, B))) return rc;
        gather(d, net->perm + net->cursor, 0, B, net->X);         /* gather the batch's rows */
        for (int r = 0; r < B; r++) {
            int s = net->perm[net->cursor + r];
            if (d->labels) net->lab[r] = d->labels[s];
            else memcpy(net->T + (size_t)r * K, d->targets + (size_t)s * K, (size_t)K * sizeof(bp_real));
        }
        if ((rc = net_step_ws(net, B))) return rc;
        if (losses) losses[done] = net->loss_value;
        net->cursor += B;
        done++;
    }
    return done;
}

/* Rows start..start+count of a dataset: the loss summed over them into *loss_sum, the correct ones
 * into *correct and the confusion counts (k x k, row = true class) added; probs (count x k) the
 * outputs. A long evaluation runs in parts so the caller can report progress and stay responsive. */
int32_t bp_evaluate_part(bp_net *net, bp_data *d, int32_t start, int32_t count, double *loss_sum, int32_t *correct,
                         int32_t *confusion, bp_real *probs)
{
    if (!net) return BP_EINVAL;
    int rc = check_data(net, d);
    if (rc) return rc;
    if (start < 0 || start >= d->n)
        return net_fail(net, BP_EINVAL, "start", 0, VAL(start), "evaluate: first sample %d does not exist (0..%d)", start, d->n - 1);
    if (count < 1 || count > d->n - start)
        return net_fail(net, BP_EINVAL, "count", 0, VAL(count), "evaluate: %d samples from %d is not allowed (1..%d)", count, start, d->n - start);
    int chunk = net->cap > 256 ? net->cap : 256;
    if ((rc = net_reserve(net, chunk))) return rc;
    int K = d->k, top = net->nl - 1, good = 0;
    double total = 0.0;
    net->have_lab = d->labels != NULL;
    net->have_T = !net->have_lab;
    for (int s = start; s < start + count; s += chunk) {
        int B = start + count - s < chunk ? start + count - s : chunk;
        if ((rc = check_rows(net, d, NULL, s, B))) return rc;  /* a label outside 0..k-1 would index outside confusion */
        gather(d, NULL, s, B, net->X);
        if (d->labels) memcpy(net->lab, d->labels + s, (size_t)B * sizeof(int32_t));
        else memcpy(net->T, d->targets + (size_t)s * K, (size_t)B * K * sizeof(bp_real));
        net_forward_ws(net, B, 0);
        double l;
        net_loss_ws(net, &l);        /* the output's delta lands in scratch; only the loss is used */
        total += l * B;
        const bp_real *A = net->A[top];
        for (int r = 0; r < B; r++) {
            const bp_real *ar = A + (size_t)r * K;
            int pred = 0;
            for (int k = 1; k < K; k++) if (ar[k] > ar[pred]) pred = k;
            int truth = 0;
            if (d->labels) truth = d->labels[s + r];
            else {
                const bp_real *tr = d->targets + (size_t)(s + r) * K;
                for (int k = 1; k < K; k++) if (tr[k] > tr[truth]) truth = k;
            }
            good += pred == truth;
            if (confusion) confusion[truth * K + pred]++;
        }
        if (probs) memcpy(probs + (size_t)(s - start) * K, A, (size_t)B * K * sizeof(bp_real));
    }
    net->stage = 0;
    if (loss_sum) *loss_sum += total;
    if (correct) *correct += good;
    return BP_OK;
}

int32_t bp_evaluate(bp_net *net, bp_data *d, double *loss, int32_t *correct, int32_t *confusion, bp_real *probs)
{
    if (!net) return BP_EINVAL;
    int rc = check_data(net, d);
    if (rc) return rc;
    double sum = 0.0;
    int32_t good = 0;
    if (confusion) memset(confusion, 0, (size_t)d->k * d->k * sizeof(int32_t));
    if ((rc = bp_evaluate_part(net, d, 0, d->n, &sum, &good, confusion, probs))) return rc;
    if (loss) *loss = sum / d->n;
    if (correct) *correct = good;
    return BP_OK;
}
