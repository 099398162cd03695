#ifndef CGLPKGUARD_H
#define CGLPKGUARD_H
#include <glpk.h>

/* Every GLPK call that can raise a fatal error goes through one of the rg_* functions
   below. Each does setjmp + glp_error_hook locally; on a fatal error it calls
   glp_free_env(), bumps this thread's generation, re-installs the terminal hook and
   returns RG_FATAL. Problems created before that are gone: compare rg_generation()
   before deleting them. No GLPK call is made from Swift code. */

enum { RG_OK = 0, RG_FATAL = -1 };

/* A model in GLPK's 1-based layout: arrays have length n+1 (columns), m+1 (rows) or
   ne+1 (triplets); element 0 is ignored. */
typedef struct {
  int dir;                 /* GLP_MIN or GLP_MAX */
  int m, n, ne;
  const char *prob_name;
  const char *obj_name;
  const int *col_type;     /* GLP_FR, GLP_LO, GLP_UP, GLP_DB, GLP_FX */
  const int *col_kind;     /* GLP_CV or GLP_IV */
  const double *col_lo, *col_up, *col_obj;
  const int *row_type;
  const double *row_lo, *row_up;
  const char *names;       /* NUL-terminated names, back to back */
  const int *col_name_off; /* offsets into names */
  const int *row_name_off;
  const int *ia, *ja;
  const double *ar;
} rg_model;

/* What the branch-and-cut callback saw; bound and incumbent exclude any constant kept
   outside GLPK. */
typedef struct {
  int reason;
  int has_incumbent;
  double incumbent;
  int has_bound;
  double bound;            /* best proven bound seen so far (max for min, min for max) */
  int nodes;               /* subproblems created minus those still active */
  int changed;             /* incumbent or bound improved at this call */
} rg_event;

/* Called at every callback; return non-zero to stop the search (glp_ios_terminate). */
typedef int (*rg_event_fn)(const rg_event *event, void *info);

typedef struct {
  rg_event_fn on_event;    /* may be NULL */
  void *info;
  const double *start;     /* 1-based point offered once on GLP_IHEUR, or NULL */
  int start_offered;       /* out */
  int start_accepted;      /* out */
  rg_event last;           /* out: state at the last callback */
} rg_tree_ctx;

/* This thread's generation: incremented each time a fatal error freed the environment. */
unsigned long rg_generation(void);
/* Route this thread's GLPK terminal output to stderr (on != 0) or drop it. */
void rg_set_log(int on);
/* Terminal text GLPK produced during this thread's last guarded call (tail, <= 4 KB). */
const char *rg_last_output(void);
/* Non-zero while this thread is inside rg_intopt (its callback runs Swift code). */
int rg_in_search(void);

int rg_create(glp_prob **out);
int rg_delete(glp_prob *P);
int rg_load(glp_prob *P, const rg_model *model);
int rg_simplex(glp_prob *P, const glp_smcp *parm, int *ret);
int rg_intopt(glp_prob *P, glp_iocp *parm, rg_tree_ctx *ctx, int *ret);
/* Basic solution: status (glp_get_status), objective, x[1..n], row duals [1..m], reduced costs [1..n]. */
int rg_read_lp(glp_prob *P, int *status, double *obj, double *x, double *row_dual, double *col_dual);
/* MIP solution: status (glp_mip_status), objective, x[1..n]. */
int rg_read_mip(glp_prob *P, int *status, double *obj, double *x);
int rg_write_lp(glp_prob *P, const char *path, int *ret);
int rg_write_mps(glp_prob *P, const char *path, int *ret);

/* Test entry point: calls glp_set_col_bnds(P, 0, ...) (column 0 is out of range), a
   real GLPK fatal error, through the guard. Returns RG_FATAL. */
int rg_test_fatal(glp_prob *P);

#endif
