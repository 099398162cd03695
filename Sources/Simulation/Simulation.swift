/// What-if simulations of a school over several school days (issue 8, spec §9).
public enum Simulation {}
