// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Constants fixed when a subnet is deployed. Fractions are in basis points (1/10 000).
struct SubnetParams {
    /// Receives the owner share (18 %) of every epoch's emission and the rounding dust.
    address owner;
    /// First block of window 0; 0 means the deployment block.
    uint64 startBlock;
    /// Blocks per window.
    uint32 blocksPerWindow;
    /// Windows per epoch.
    uint32 windowsPerEpoch;
    /// Blocks after the end of window w during which commitments for w are still accepted.
    uint32 deadlineGraceBlocks;
    /// Size of the uid space shared by miners and validators.
    uint16 maxUids;
    /// Most validators registered at once.
    uint16 maxValidators;
    /// Validators with the largest stakes that may set weights and publish (at most 32, and
    /// maxValidatorPermits × maxUids at most 4608 so that settlement fits in a block).
    uint16 maxValidatorPermits;
    /// Blocks after registration during which a miner cannot be pruned.
    uint32 immunityPeriod;
    /// Blocks a validator waits between two setWeights calls.
    uint32 weightsRateLimit;
    /// Weights older than this many blocks at an epoch's end do not count for it.
    uint32 activityCutoff;
    /// Blocks a stake stays locked after it was last increased.
    uint32 stakeLockBlocks;
    /// Share of the stake that must support a weight for it to be the consensus (5000 = median).
    uint16 kappaBps;
    /// Weight of the new bonds in the bonds moving average.
    uint16 bondsAlphaBps;
    /// Share of a validator's dividends it keeps before sharing the rest with its stakers.
    uint16 validatorTakeBps;
    /// Longest uri accepted in commitments, aggregates and checkpoints, in bytes.
    uint16 maxUriLength;
    /// Native wei a miner burns to register (held by the contract forever, counted in totalBurned).
    uint256 registrationBurn;
    /// Least self stake to register a validator, and least total stake for a validator permit.
    uint256 minValidatorStake;
    /// Reward tokens minted for each settled epoch that reached consensus.
    uint256 emissionPerEpoch;
}

/// @notice One registered neuron as the metagraph shows it.
struct NeuronView {
    uint16 uid;
    address hotkey;
    bool isValidator;
    bool validatorPermit;
    /// Self stake plus delegated stake (validators), in token units; 0 for miners.
    uint256 stake;
    /// Consensus weight of the last settled epoch, scaled by 1e9 (miners).
    uint32 consensus;
    /// Share of the miners' emission in the last settled epoch, scaled by 1e9 (miners).
    uint32 incentive;
    /// Share of the validators' emission in the last settled epoch, scaled by 1e9 (validators).
    uint32 dividends;
    uint64 registrationBlock;
    /// The first epoch this uid was settled in as this neuron.
    uint64 registrationEpoch;
    /// Block of the validator's last setWeights; 0 when never.
    uint64 weightsBlock;
    /// Rewards credited to this uid and not claimed yet (miner incentive, validator take).
    uint256 unclaimed;
}

/// @notice A miner's commitment to its update for a window.
struct CommitmentView {
    uint16 uid;
    address hotkey;
    bytes32 digest;
    bytes32 modelHash;
    string uri;
    uint64 blockNumber;
}

/// @notice An aggregation set a validator published for a window.
struct AggregateView {
    uint64 window;
    address validator;
    uint16 validatorUid;
    bytes32 aggregateHash;
    uint16[] uids;
    string uri;
    uint64 blockNumber;
}

/// @notice A full-model checkpoint a validator published.
struct CheckpointView {
    uint64 window;
    address validator;
    uint16 validatorUid;
    bytes32 modelHash;
    string uri;
    uint64 blockNumber;
}

/// @notice What a settled epoch left on chain.
struct EpochRecord {
    uint64 settledBlock;
    uint16 activeValidators;
    uint128 minted;
}

/// @notice One account's stake on one validator.
struct PositionView {
    uint16 validatorUid;
    uint256 stake;
    /// Rewards accrued to this position and not yet moved to the claimable balance.
    uint256 pending;
    uint64 unlockBlock;
}

/// @title The subnet contract of Tessera: registration, stake, commitments, weights, emissions.
/// @notice Errors carry the facts a caller needs to fix the call; events cover every state change.
interface ISubnet {
    // ---------------------------------------------------------------- errors

    error Subnet__InvalidParameter(string name);
    error Subnet__TokenMinterMismatch(address token, address minter);
    error Subnet__WrongBurn(uint256 sent, uint256 required);
    error Subnet__AlreadyRegistered(address hotkey, uint16 uid);
    error Subnet__NotRegistered(address account);
    error Subnet__NotMiner(uint16 uid);
    error Subnet__NotValidator(uint16 uid);
    error Subnet__NoValidatorPermit(uint16 uid);
    error Subnet__SubnetFull(uint16 maxUids);
    error Subnet__ValidatorSetFull(uint16 maxValidators);
    error Subnet__StakeTooLow(uint256 amount, uint256 minimum);
    error Subnet__ZeroAmount();
    error Subnet__InsufficientStake(uint256 staked, uint256 requested);
    error Subnet__StakeLocked(uint64 unlockBlock);
    error Subnet__NotStarted(uint64 startBlock);
    error Subnet__WindowNotStarted(uint64 window, uint256 startBlock);
    error Subnet__LateCommit(uint64 window, uint256 deadline);
    error Subnet__AlreadyCommitted(uint64 window, uint16 uid);
    error Subnet__BadUriLength(uint256 length, uint256 maximum);
    error Subnet__LengthMismatch(uint256 uids, uint256 weights);
    error Subnet__TooManyUids(uint256 length, uint256 maximum);
    error Subnet__DuplicateUid(uint16 uid);
    error Subnet__UidsNotAscending(uint16 previous, uint16 next);
    error Subnet__UidNotRegistered(uint16 uid);
    error Subnet__UidNotMiner(uint16 uid);
    error Subnet__WeightsRateLimited(uint64 nextBlock);
    error Subnet__NoCommitment(uint64 window, uint16 uid);
    error Subnet__AggregateTooEarly(uint64 window, uint256 deadline);
    error Subnet__AlreadyPublished(uint64 window, address validator);
    error Subnet__EpochNotEnded(uint64 epoch, uint256 endBlock);
    error Subnet__EpochAlreadySettled(uint64 epoch);
    error Subnet__EpochOutOfOrder(uint64 epoch, uint64 expected);
    error Subnet__NothingToClaim(address account);

    // ---------------------------------------------------------------- events

    /// @notice `hotkey` took `uid`; `burn` native wei were burned (miners).
    event Registered(uint16 indexed uid, address indexed hotkey, bool isValidator, uint256 burn);
    /// @notice The miner at `uid` was pruned to make room; `incentive` was its pruning score.
    event Pruned(uint16 indexed uid, address indexed hotkey, uint32 incentive);
    /// @notice A validator's total stake reached zero and its uid was freed.
    event Deregistered(uint16 indexed uid, address indexed hotkey);
    /// @notice The validator added `amount` of its own stake.
    event Staked(uint16 indexed validatorUid, address indexed account, uint256 amount, uint256 positionStake, uint256 validatorStake);
    /// @notice `account` delegated `amount` to the validator.
    event Delegated(uint16 indexed validatorUid, address indexed account, uint256 amount, uint256 positionStake, uint256 validatorStake);
    /// @notice `account` withdrew `amount` of its stake on the validator.
    event Unstaked(uint16 indexed validatorUid, address indexed account, uint256 amount, uint256 positionStake, uint256 validatorStake);
    /// @notice Staking rewards accrued to a position were moved to the account's claimable balance.
    event StakeRewardsHarvested(uint16 indexed validatorUid, address indexed account, uint256 amount);
    event Committed(uint64 indexed window, uint16 indexed uid, address indexed hotkey, bytes32 digest, bytes32 modelHash, string uri);
    event AggregatePublished(uint64 indexed window, uint16 indexed validatorUid, address indexed validator, bytes32 aggregateHash, uint16[] uids, string uri);
    event CheckpointPublished(uint64 indexed window, uint16 indexed validatorUid, address indexed validator, bytes32 modelHash, string uri);
    event WeightsSet(uint16 indexed validatorUid, address indexed hotkey, uint16[] uids, uint16[] weights);
    /// @notice One miner's result for an epoch; emitted for every registered miner at settlement.
    /// `consensus` and `incentive` are scaled by 1e9; `rank` is the stake-weighted sum of clipped weights (scale 1e18).
    event MinerReward(uint64 indexed epoch, uint16 indexed uid, address indexed hotkey, uint32 consensus, uint32 incentive, uint256 rank, uint256 amount);
    /// @notice One active validator's result for an epoch. `weightsBlock` names the WeightsSet event whose
    /// weights were used; `stakersShare` went to everyone staked on it pro rata (raising `rewardPerStake`, scale 1e27).
    event ValidatorReward(
        uint64 indexed epoch,
        uint16 indexed uid,
        address indexed hotkey,
        uint256 stake,
        uint64 weightsBlock,
        uint32 dividends,
        uint256 amount,
        uint256 take,
        uint256 stakersShare,
        uint256 rewardPerStake
    );
    /// @notice An epoch was settled. `minted` = `minerTotal` + `validatorTotal` + `ownerTotal`.
    event EpochSettled(
        uint64 indexed epoch,
        uint256 minted,
        uint256 minerTotal,
        uint256 validatorTotal,
        uint256 ownerTotal,
        uint256 activeStake,
        uint16 activeValidators
    );
    event Claimed(address indexed account, uint256 amount);

    // ---------------------------------------------------------------- registration and stake

    /// @notice Registers the caller as a miner; `msg.value` must equal the registration burn.
    function registerMiner() external payable returns (uint16 uid);

    /// @notice Registers the caller as a validator with `amount` of self stake (approve it first).
    function registerValidator(uint256 amount) external returns (uint16 uid);

    /// @notice Stakes `amount` on validator `validatorUid`: self stake for its hotkey, delegation for anyone else.
    function stake(uint16 validatorUid, uint256 amount) external;

    /// @notice Withdraws `amount` of the caller's stake on `validatorUid` once unlocked.
    function unstake(uint16 validatorUid, uint256 amount) external;

    // ---------------------------------------------------------------- windows

    function commit(uint64 window, bytes32 digest, string calldata uri, bytes32 modelHash) external;

    function publishAggregate(uint64 window, uint16[] calldata uids, bytes32 aggregateHash, string calldata uri) external;

    function publishCheckpoint(uint64 window, bytes32 modelHash, string calldata uri) external;

    // ---------------------------------------------------------------- weights and epochs

    function setWeights(uint16[] calldata uids, uint16[] calldata weights) external;

    function settleEpoch(uint64 epoch) external;

    function claim() external returns (uint256 amount);
}
