namespace Grid.Engine.Data;

/// <summary>One batch file of downsampled ImageNet: images [Count, 3*H*W] uint8, 0-based labels, and the shipped mean (train batches).</summary>
public sealed record ImageNetBatch(byte[] Images, int Count, int[] Labels, float[]? Mean);
