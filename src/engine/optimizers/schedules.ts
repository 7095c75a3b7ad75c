/**
 * Learning-rate schedules, evaluated per epoch (0-based) from the base rate η₀:
 *   constant: η₀
 *   step:     η₀ · γ^⌊epoch / stepSize⌋                                   (torch StepLR; γ defaults to 0.1)
 *   cosine:   ηmin + (η₀ − ηmin) · (1 + cos(π · epoch / totalEpochs)) / 2   (torch CosineAnnealingLR with
 *             T_max = totalEpochs; ηmin defaults to 0; epochs past the end stay at ηmin)
 */

export interface ScheduleConfig {
  type: 'constant' | 'step' | 'cosine';
  stepSize?: number;
  gamma?: number;
  minLearningRate?: number;
}

export function learningRateAt(schedule: ScheduleConfig, base: number, epoch: number, totalEpochs: number): number {
  switch (schedule.type) {
    case 'constant':
      return base;
    case 'step': {
      const { stepSize, gamma = 0.1 } = schedule;
      if (stepSize === undefined || !Number.isInteger(stepSize) || stepSize < 1) {
        throw new RangeError(`step schedule needs an integer stepSize ≥ 1, got ${stepSize}`);
      }
      return base * gamma ** Math.floor(epoch / stepSize);
    }
    case 'cosine': {
      const { minLearningRate = 0 } = schedule;
      if (!(totalEpochs > 0)) throw new RangeError(`cosine schedule needs totalEpochs > 0, got ${totalEpochs}`);
      const progress = Math.min(Math.max(epoch / totalEpochs, 0), 1);
      return minLearningRate + ((base - minLearningRate) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  }
}
