#include "CGLPKGuard.h"
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

/* ---- per-thread state (GLPK's environment is thread-local on Debian too) ---- */

static _Thread_local unsigned long rg_gen;
static _Thread_local int rg_log;
static _Thread_local int rg_searching;
enum { RG_TAIL = 4096 };
static _Thread_local char rg_tail[RG_TAIL];
static _Thread_local size_t rg_tail_len;

unsigned long rg_generation(void) { return rg_gen; }
void rg_set_log(int on) { rg_log = on; }
const char *rg_last_output(void) { return rg_tail; }
int rg_in_search(void) { return rg_searching; }

/* Terminal hook: keep a tail for error messages; write to stderr only when logging.
   Returning non-zero stops GLPK from printing to stdout. */
static int rg_term(void *info, const char *s) {
  (void)info;
  if (rg_log) fputs(s, stderr);
  size_t n = strlen(s);
  if (n >= RG_TAIL) { s += n - (RG_TAIL - 1); n = RG_TAIL - 1; }
  if (rg_tail_len + n >= RG_TAIL) {
    size_t drop = rg_tail_len + n - (RG_TAIL - 1);
    memmove(rg_tail, rg_tail + drop, rg_tail_len - drop);
    rg_tail_len -= drop;
  }
  memcpy(rg_tail + rg_tail_len, s, n);
  rg_tail_len += n;
  rg_tail[rg_tail_len] = 0;
  return 1;
}

static void rg_error_hook(void *info) { longjmp(*(jmp_buf *)info, 1); }

static void rg_enter(jmp_buf *jb) {
  rg_tail_len = 0;
  rg_tail[0] = 0;
  glp_term_hook(rg_term, NULL);
  glp_error_hook(rg_error_hook, jb);
}

static void rg_leave(void) { glp_error_hook(NULL, NULL); }

static int rg_recover(void) {
  /* The environment is inconsistent after a fatal error: free it (every glp_prob of
     this thread dies with it), invalidate old problems, re-install the hook. */
  rg_searching = 0;
  glp_free_env();
  rg_gen++;
  glp_term_hook(rg_term, NULL);
  return RG_FATAL;
}

/* setjmp and the GLPK calls must stay in the same C function: no Swift frame may lie
   between them. */
#define RG_GUARD             \
  jmp_buf jb;                \
  if (setjmp(jb) != 0) return rg_recover(); \
  rg_enter(&jb)

int rg_create(glp_prob **out) {
  RG_GUARD;
  *out = glp_create_prob();
  rg_leave();
  return RG_OK;
}

int rg_delete(glp_prob *P) {
  RG_GUARD;
  glp_delete_prob(P);
  rg_leave();
  return RG_OK;
}

int rg_load(glp_prob *P, const rg_model *md) {
  RG_GUARD;
  glp_set_prob_name(P, md->prob_name);
  glp_set_obj_name(P, md->obj_name);
  glp_set_obj_dir(P, md->dir);
  if (md->m > 0) glp_add_rows(P, md->m);
  if (md->n > 0) glp_add_cols(P, md->n);
  for (int i = 1; i <= md->m; i++) {
    glp_set_row_name(P, i, md->names + md->row_name_off[i]);
    glp_set_row_bnds(P, i, md->row_type[i], md->row_lo[i], md->row_up[i]);
  }
  for (int j = 1; j <= md->n; j++) {
    glp_set_col_name(P, j, md->names + md->col_name_off[j]);
    glp_set_col_kind(P, j, md->col_kind[j]);
    glp_set_col_bnds(P, j, md->col_type[j], md->col_lo[j], md->col_up[j]);
    glp_set_obj_coef(P, j, md->col_obj[j]);
  }
  if (md->ne > 0) glp_load_matrix(P, md->ne, md->ia, md->ja, md->ar);
  rg_leave();
  return RG_OK;
}

int rg_simplex(glp_prob *P, const glp_smcp *parm, int *ret) {
  RG_GUARD;
  *ret = glp_simplex(P, parm);
  rg_leave();
  return RG_OK;
}

static int rg_improves(int dir, int has, double old, double b, int lower_is_better) {
  if (!has) return 1;
  /* For a bound: larger is better when minimizing. For an incumbent: smaller. */
  if (dir == GLP_MIN) return lower_is_better ? b < old : b > old;
  return lower_is_better ? b > old : b < old;
}

/* Read-only queries with valid arguments, plus the single warm-start offer. */
static void rg_tree_callback(glp_tree *T, void *info) {
  rg_tree_ctx *c = info;
  rg_event *e = &c->last;
  int reason = glp_ios_reason(T);
  if (reason == GLP_IHEUR && c->start != NULL && !c->start_offered) {
    c->start_offered = 1;
    c->start_accepted = glp_ios_heur_sol(T, c->start) == 0;
  }
  glp_prob *mip = glp_ios_get_prob(T);
  int dir = glp_get_obj_dir(mip);
  e->reason = reason;
  e->changed = 0;
  int st = glp_mip_status(mip);
  if (st == GLP_FEAS || st == GLP_OPT) {
    double v = glp_mip_obj_val(mip);
    if (rg_improves(dir, e->has_incumbent, e->incumbent, v, 1)) {
      e->has_incumbent = 1;
      e->incumbent = v;
      e->changed = 1;
    }
  }
  int p = glp_ios_best_node(T);
  if (p != 0) {
    double b = glp_ios_node_bound(T, p);
    /* A node whose LP was never solved carries -DBL_MAX (+DBL_MAX): no bound. */
    if (fabs(b) < 0.5 * DBL_MAX && rg_improves(dir, e->has_bound, e->bound, b, 0)) {
      e->has_bound = 1;
      e->bound = b;
      e->changed = 1;
    }
  }
  int a_cnt = 0, n_cnt = 0, t_cnt = 0;
  glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
  e->nodes = t_cnt - a_cnt;
  if (c->on_event != NULL && c->on_event(e, c->info)) glp_ios_terminate(T);
}

int rg_intopt(glp_prob *P, glp_iocp *parm, rg_tree_ctx *ctx, int *ret) {
  RG_GUARD;
  parm->cb_func = rg_tree_callback;
  parm->cb_info = ctx;
  rg_searching = 1;
  *ret = glp_intopt(P, parm);
  rg_searching = 0;
  rg_leave();
  return RG_OK;
}

int rg_read_lp(glp_prob *P, int *status, double *obj, double *x, double *row_dual,
               double *col_dual) {
  RG_GUARD;
  int m = glp_get_num_rows(P), n = glp_get_num_cols(P);
  *status = glp_get_status(P);
  *obj = glp_get_obj_val(P);
  for (int j = 1; j <= n; j++) {
    x[j] = glp_get_col_prim(P, j);
    col_dual[j] = glp_get_col_dual(P, j);
  }
  for (int i = 1; i <= m; i++) row_dual[i] = glp_get_row_dual(P, i);
  rg_leave();
  return RG_OK;
}

int rg_read_mip(glp_prob *P, int *status, double *obj, double *x) {
  RG_GUARD;
  int n = glp_get_num_cols(P);
  *status = glp_mip_status(P);
  *obj = glp_mip_obj_val(P);
  for (int j = 1; j <= n; j++) x[j] = glp_mip_col_val(P, j);
  rg_leave();
  return RG_OK;
}

int rg_write_lp(glp_prob *P, const char *path, int *ret) {
  RG_GUARD;
  *ret = glp_write_lp(P, NULL, path);
  rg_leave();
  return RG_OK;
}

int rg_write_mps(glp_prob *P, const char *path, int *ret) {
  RG_GUARD;
  *ret = glp_write_mps(P, GLP_MPS_FILE, NULL, path);
  rg_leave();
  return RG_OK;
}

int rg_test_fatal(glp_prob *P) {
  RG_GUARD;
  glp_set_col_bnds(P, 0, GLP_FX, 0.0, 0.0);
  rg_leave();
  return RG_OK;
}
